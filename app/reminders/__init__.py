"""Reminder e-mails: decided by the scheduler into the ``reminders`` table, then delivered."""
