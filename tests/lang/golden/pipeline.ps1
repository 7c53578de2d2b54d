Import-Csv users.csv |
    Where-Object { $_.Enabled -eq 'true' } |
    ForEach-Object {
        [PSCustomObject]@{
            User = $_.UserPrincipalName
            When = (Get-Date).ToUniversalTime().ToString('o')
        }
    }
    | Export-Csv report.csv -NoTypeInformation
$users.Count; $users[0].Name; $h['key']; [math]::Round(2.5); [datetime]::UtcNow.AddDays(-1)
