<#
.SYNOPSIS
    Helpdesk: a user lost their phone. Find them, remove every sign-in method except the
    password, and issue a one-time Temporary Access Pass to register again.
#>
param(
    [Parameter(Mandatory = $true)][string]$UserPrincipalName,
    [int]$LifetimeInMinutes = 60
)

$ErrorActionPreference = 'Stop'
Connect-MgGraph -Scopes "UserAuthenticationMethod.ReadWrite.All", "User.Read.All" -NoWelcome

$user = Get-MgUser -Filter "userPrincipalName eq '$UserPrincipalName'" -Property Id, DisplayName, UserPrincipalName
if (-not $user) {
    throw "No user with UPN $UserPrincipalName"
}
Write-Output "Resetting methods of $($user.DisplayName) ($($user.Id))"

function Remove-SignInMethod {
    param([string]$UserId, $Method)
    $type = $Method.AdditionalProperties['@odata.type']
    if ($type -eq '#microsoft.graph.phoneAuthenticationMethod') {
        Remove-MgUserAuthenticationPhoneMethod -UserId $UserId -PhoneAuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.emailAuthenticationMethod') {
        Remove-MgUserAuthenticationEmailMethod -UserId $UserId -EmailAuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.fido2AuthenticationMethod') {
        Remove-MgUserAuthenticationFido2Method -UserId $UserId -Fido2AuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod') {
        Remove-MgUserAuthenticationMicrosoftAuthenticatorMethod -UserId $UserId -MicrosoftAuthenticatorAuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.softwareOathAuthenticationMethod') {
        Remove-MgUserAuthenticationSoftwareOathMethod -UserId $UserId -SoftwareOathAuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod') {
        Remove-MgUserAuthenticationWindowsHelloForBusinessMethod -UserId $UserId -WindowsHelloForBusinessAuthenticationMethodId $Method.Id
    }
    elseif ($type -eq '#microsoft.graph.temporaryAccessPassAuthenticationMethod') {
        Remove-MgUserAuthenticationTemporaryAccessPassMethod -UserId $UserId -TemporaryAccessPassAuthenticationMethodId $Method.Id
    }
    else {
        throw "Unknown method type $type"
    }
}

# Graph refuses to delete the default method while others remain: what fails the first time is
# retried after the rest are gone.
$pending = @(Get-MgUserAuthenticationMethod -UserId $user.Id |
    Where-Object { $_.AdditionalProperties['@odata.type'] -ne '#microsoft.graph.passwordAuthenticationMethod' })
$removed = 0
for ($pass = 1; $pass -le 3 -and $pending.Count -gt 0; $pass++) {
    $retry = @()
    foreach ($method in $pending) {
        try {
            Remove-SignInMethod -UserId $user.Id -Method $method
            $removed++
        }
        catch {
            $retry += $method
        }
    }
    $pending = $retry
}
if ($pending.Count -gt 0) {
    throw "Could not remove $($pending.Count) method(s) of $UserPrincipalName"
}
Write-Output "Removed $removed method(s)"

$tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $user.Id -LifetimeInMinutes $LifetimeInMinutes -IsUsableOnce
Write-Output "Temporary Access Pass for $($user.UserPrincipalName): $($tap.TemporaryAccessPass) (valid $($tap.LifetimeInMinutes) minutes, one use)"
