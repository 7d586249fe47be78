"""councilplans: council service plans → services, objectives, budgets and targets."""
__version__ = "0.1.0"
