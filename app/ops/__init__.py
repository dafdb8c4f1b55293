"""Running the server: backups, the readiness check, memory given back after large files,
and the guard that keeps a downgrade from dropping data."""
