"""Service endpoints."""
