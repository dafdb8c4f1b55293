"""Sign-in and sign-out; role checks for views."""
