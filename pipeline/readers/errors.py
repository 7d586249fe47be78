"""The coded error a reader raises when a document cannot be read at all."""
from pipeline.errors import CouncilplansError


class ReadError(CouncilplansError):
    """A document that cannot be read; ``code`` is stable, ``message`` says what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
