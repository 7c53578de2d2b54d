# Replace a user's existing pass: remove what is there, then issue a fresh one.
$userId = 'AlexW@contoso.lab'
$existing = Get-MgUserAuthenticationTemporaryAccessPassMethod -UserId $userId
foreach ($method in @($existing)) {
    if ($null -ne $method) {
        Remove-MgUserAuthenticationTemporaryAccessPassMethod -UserId $userId -TemporaryAccessPassAuthenticationMethodId $method.Id
        Write-Verbose "Removed $($method.Id)" -Verbose
    }
}
$new = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $userId -LifetimeInMinutes 120
"replaced:{0}:{1}" -f ($existing -ne $null), $new.LifetimeInMinutes
