"""Recurring duties: phrases such as "hằng tháng, trước ngày 20" read into a schedule,
the series that create one task per period, and their pages."""
