[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string[]]$UserPrincipalName,
    [ValidateRange(60, 480)][int]$LifetimeInMinutes = 60,
    [string]$LogPath
)
$ErrorActionPreference = 'Stop'
$log = [System.Collections.Generic.List[string]]::new()
foreach ($upn in $UserPrincipalName) {
    $pass = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $upn -LifetimeInMinutes $LifetimeInMinutes
    $log.Add(("{0} {1} {2}" -f (Get-Date -Format 'yyyy-MM-dd'), $upn, $pass.LifetimeInMinutes))
}
$log | Set-Content -Path $LogPath
"done: $($log.Count)"
