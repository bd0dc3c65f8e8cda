class ReportError(Exception):
    """A client's mistake in a report write: a code for machines, localized messages per field.

    Every channel (web form, REST, Open311) turns it into its own error format.
    """

    def __init__(self, code: str, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
