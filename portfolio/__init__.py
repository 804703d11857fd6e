"""The application core: domain model, storage, import/export, runs, audit."""
