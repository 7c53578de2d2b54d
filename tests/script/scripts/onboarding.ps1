<#
  Onboarding: one Temporary Access Pass per new hire from HR's CSV, a report CSV, and a
  try/catch per user so one bad row does not stop the batch.
#>
param(
    [Parameter(Mandatory)][string]$CsvPath,
    [string]$ReportPath = "./tap-report.csv",
    [int]$LifetimeInMinutes = 60
)

Import-Module Microsoft.Graph.Identity.SignIns

$newHires = Import-Csv -Path $CsvPath
$report = @()
$ok = 0; $failed = 0

foreach ($hire in $newHires) {
    try {
        $tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $hire.UserPrincipalName `
            -LifetimeInMinutes $LifetimeInMinutes -IsUsableOnce:$true -ErrorAction Stop
        $report += [PSCustomObject]@{
            UserPrincipalName = $hire.UserPrincipalName
            Status            = 'Created'
            StartDateTime     = $tap.StartDateTime
            Lifetime          = $tap.LifetimeInMinutes
            Error             = ''
        }
        $ok++
    }
    catch {
        Write-Warning "Could not create a pass for $($hire.UserPrincipalName): $($_.Exception.Message)"
        $report += [PSCustomObject]@{
            UserPrincipalName = $hire.UserPrincipalName
            Status            = 'Failed'
            StartDateTime     = $null
            Lifetime          = $null
            Error             = $_.Exception.Message
        }
        $failed++
    }
}

$report | Export-Csv -Path $ReportPath -NoTypeInformation
Write-Host ("Created {0}, failed {1}" -f $ok, $failed)
