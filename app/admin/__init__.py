"""Administration: users, departments, issuers, the working-day table, refused requests."""
