"""The user's own page: password, signed-in sessions, API tokens and calendar feed addresses."""
