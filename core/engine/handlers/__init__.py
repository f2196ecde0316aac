"""The engine's handlers, one module per operation (core/engine/handlers/<operation>.py): each
declares ``HANDLES = {RequestType: handler}``, and each handler is a thin call into core.jobs."""
