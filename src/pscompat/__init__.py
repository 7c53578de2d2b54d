"""pscompat: Microsoft Graph PowerShell and PnP.PowerShell cmdlets without PowerShell."""

__version__ = "0.1.0"
