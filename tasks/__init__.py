"""The Huey queue and the tasks that call backend services by id."""
