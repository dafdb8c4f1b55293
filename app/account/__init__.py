"""The user's own page: API tokens and calendar feed addresses."""
