"""PowerShell syntax: numbers, conversions (LanguagePrimitives), lexer, parser, literal reader."""
