# Onboarding with Microsoft Graph PowerShell: a Temporary Access Pass for each new user in a CSV
# file (columns UserPrincipalName, LifetimeInMinutes, OneTime). Runs unchanged under pwsh with
# the Microsoft.Graph modules, and under `pscompat run onboarding.ps1 -CsvPath users.csv`.
param(
    [Parameter(Mandatory = $true)]
    [string] $CsvPath
)

$issued = 0
foreach ($row in Import-Csv -Path $CsvPath) {
    try {
        $pass = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $row.UserPrincipalName `
            -LifetimeInMinutes ([int] $row.LifetimeInMinutes) -IsUsableOnce:($row.OneTime -eq 'true') -ErrorAction Stop
        Write-Output "$($row.UserPrincipalName): pass valid for $($pass.LifetimeInMinutes) minutes"
        $issued++
    }
    catch {
        Write-Warning "$($row.UserPrincipalName): $($_.Exception.Message)"
    }
}
Write-Output "$issued pass(es) issued"
