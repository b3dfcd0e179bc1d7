"""Small shared helpers with one home, model-free: the clinic's day, language, knowledge
titles, form helpers, refusals, CSV exports and uploaded files.

The floor between the engine and the apps: lib may use Django's utilities and the engine,
never an app's models (so every app may import it, and it imports none of them).
"""
