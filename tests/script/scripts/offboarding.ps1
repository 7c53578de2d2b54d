<#
.SYNOPSIS
    Offboarding: remove every sign-in method a leaver has, revoke their sessions, disable the account.
#>
param([Parameter(Mandatory = $true)][string]$UserPrincipalName)

$ErrorActionPreference = 'Stop'
Connect-MgGraph -Scopes "UserAuthenticationMethod.ReadWrite.All", "User.ReadWrite.All" -NoWelcome

$user = Get-MgUser -UserId $UserPrincipalName -Property Id, DisplayName, AccountEnabled

# Where each method type lives under /authentication (the password cannot be deleted).
$segments = @{
    '#microsoft.graph.phoneAuthenticationMethod'                  = 'phoneMethods'
    '#microsoft.graph.emailAuthenticationMethod'                  = 'emailMethods'
    '#microsoft.graph.fido2AuthenticationMethod'                  = 'fido2Methods'
    '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod' = 'microsoftAuthenticatorMethods'
    '#microsoft.graph.softwareOathAuthenticationMethod'           = 'softwareOathMethods'
    '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod' = 'windowsHelloForBusinessMethods'
    '#microsoft.graph.temporaryAccessPassAuthenticationMethod'    = 'temporaryAccessPassMethods'
}

$pending = @(Get-MgUserAuthenticationMethod -UserId $user.Id |
    Where-Object { $segments.ContainsKey($_.AdditionalProperties['@odata.type']) })
$removed = 0
for ($pass = 1; $pass -le 3 -and $pending.Count -gt 0; $pass++) {
    $retry = @()
    foreach ($method in $pending) {
        $segment = $segments[$method.AdditionalProperties['@odata.type']]
        Invoke-MgGraphRequest -Method DELETE -Uri "v1.0/users/$($user.Id)/authentication/$segment/$($method.Id)" `
            -SkipHttpErrorCheck -StatusCodeVariable status | Out-Null
        if ($status -eq 204) { $removed++ } else { $retry += $method }
    }
    $pending = $retry
}

$revoked = Revoke-MgUserSignInSession -UserId $user.Id
Update-MgUser -UserId $user.Id -AccountEnabled:$false

$after = Get-MgUser -UserId $user.Id -Property Id, AccountEnabled
Write-Output "Offboarded $($user.DisplayName): methods removed=$removed left=$($pending.Count) sessionsRevoked=$revoked accountEnabled=$($after.AccountEnabled)"
