"""The one exception type that carries a message meant for the user, not a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad file, bad argument, missing tool); str() is one clear line."""


class Cancelled(Exception):
    """Raised inside long work when the user pressed Cancel."""
