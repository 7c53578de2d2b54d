<#
.SYNOPSIS
    Audit the tenant's Temporary Access Pass policy against the org standard, report, and fix it.
.DESCRIPTION
    Reads the TAP configuration with Invoke-MgGraphRequest (as the policy runbook does), writes every
    finding to a CSV, PATCHes the configuration back to the standard, and reads it again with the
    policy cmdlet to confirm.
#>
param(
    [string]$ReportPath = "./tap-policy-audit.csv",
    [int]$MaxDefaultLifetime = 60,
    [switch]$ReportOnly
)

$ErrorActionPreference = 'Stop'
Connect-MgGraph -Scopes "Policy.ReadWrite.AuthenticationMethod" -NoWelcome

$uri = "https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"
$config = Invoke-MgGraphRequest -Method GET -Uri $uri

$findings = @()
if ($config.state -ne 'enabled') {
    $findings += [pscustomobject]@{ Setting = 'state'; Actual = $config.state; Expected = 'enabled' }
}
if ($config.defaultLifetimeInMinutes -gt $MaxDefaultLifetime) {
    $findings += [pscustomobject]@{ Setting = 'defaultLifetimeInMinutes'; Actual = $config.defaultLifetimeInMinutes; Expected = "<= $MaxDefaultLifetime" }
}
if (-not $config.isUsableOnce) {
    $findings += [pscustomobject]@{ Setting = 'isUsableOnce'; Actual = $config.isUsableOnce; Expected = $true }
}

$findings | Export-Csv -Path $ReportPath -NoTypeInformation
Write-Output "Findings: $($findings.Count) (report: $ReportPath)"

if ($findings.Count -gt 0 -and -not $ReportOnly) {
    $body = @{
        '@odata.type'            = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration'
        state                    = 'enabled'
        defaultLifetimeInMinutes = [Math]::Min($config.defaultLifetimeInMinutes, $MaxDefaultLifetime)
        isUsableOnce             = $true
    } | ConvertTo-Json
    Invoke-MgGraphRequest -Method PATCH -Uri $uri -Body $body -ContentType 'application/json' -StatusCodeVariable status
    Write-Output "Policy updated (HTTP $status)"
}

$after = Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration -AuthenticationMethodConfigurationId TemporaryAccessPass
Write-Output ("TAP policy: state={0} defaultLifetime={1} usableOnce={2}" -f $after.State,
    $after.AdditionalProperties['defaultLifetimeInMinutes'], $after.AdditionalProperties['isUsableOnce'])
