param(
  [string]$Path = "x.csv"
)
Write-Output $Path
