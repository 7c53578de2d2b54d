# Bulk onboarding with five bad rows, each failing its own way; the good rows still get passes.
param([string]$CsvPath, [string]$ReportPath)

$rows = Import-Csv -Path $CsvPath
$report = @()
$issued = 0
foreach ($row in $rows) {
    try {
        $tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $row.UserPrincipalName `
            -LifetimeInMinutes $row.Lifetime -ErrorAction Stop
        $issued++
        Write-Host "TAP for $($row.UserPrincipalName): $($tap.TemporaryAccessPass)"
    } catch [System.Management.Automation.ParameterBindingException] {
        $report += [pscustomobject]@{ User = $row.UserPrincipalName; Kind = 'binding'; Message = $_.Exception.Message }
    } catch {
        $report += [pscustomobject]@{ User = $row.UserPrincipalName; Kind = $_.FullyQualifiedErrorId.Split(',')[0]
                                      Message = $_.Exception.Message }
    }
}
$report | Export-Csv -Path $ReportPath -NoTypeInformation
"issued=$issued failed=$($report.Count)"
if ($report.Count -gt 0) { exit $report.Count }
