"""SignUpFlow stand-in: volunteer scheduling for churches and non-profits (FastAPI + PostgreSQL + Redis)."""
