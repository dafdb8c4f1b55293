"""The application's clock: one scheduler process that runs the jobs the features
register (reminders, recurring periods, import jobs) under a database lock."""
