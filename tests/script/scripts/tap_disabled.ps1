# The TAP policy is disabled in this lab scenario: every call fails; count the failures.
$users = 'AdeleV@contoso.lab', 'AlexW@contoso.lab', 'GradyA@contoso.lab'
$errorsSeen = 0
$messages = @()
foreach ($u in $users) {
    try {
        New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $u -ErrorAction Stop | Out-Null
    } catch {
        $errorsSeen++
        $messages += $_.Exception.Message
    }
}
"failures=$errorsSeen"
($messages | Select-Object -Unique).Count
