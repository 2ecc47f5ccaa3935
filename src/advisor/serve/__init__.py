"""`advisor serve`: host the advisor over SSH for a room of stakeholders."""
