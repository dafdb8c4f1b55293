"""iCalendar feeds of deadlines, behind secret URLs, for calendar apps to subscribe to."""
