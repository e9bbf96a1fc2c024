"""cskit: batch tools for a customer-service and credit department."""

__version__ = "0.1.0"
