<#
.SYNOPSIS
    Workshop seeding: create N student accounts, give each a Temporary Access Pass, and hand the
    trainer a CSV with the passes.
#>
param(
    [int]$Count = 5,
    [string]$CsvPath = './workshop-students.csv',
    [string]$Domain = 'contoso.lab',
    [int]$LifetimeInMinutes = 480
)

$ErrorActionPreference = 'Stop'
Connect-MgGraph -Scopes "User.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All" -NoWelcome

$rows = foreach ($i in 1..$Count) {
    $upn = 'student{0:D2}@{1}' -f $i, $Domain
    $passwordProfile = @{
        forceChangePasswordNextSignIn = $true
        password                      = 'Wk!{0}-{1}' -f (Get-Random -Minimum 100000 -Maximum 999999), $i
    }
    $user = New-MgUser -AccountEnabled -DisplayName "Workshop Student $i" -MailNickname ('student{0:D2}' -f $i) `
        -UserPrincipalName $upn -PasswordProfile $passwordProfile -UsageLocation 'US'
    $tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $user.Id -LifetimeInMinutes $LifetimeInMinutes
    [pscustomobject]@{
        UserPrincipalName   = $upn
        Id                  = $user.Id
        TemporaryAccessPass = $tap.TemporaryAccessPass
        ValidMinutes        = $tap.LifetimeInMinutes
    }
}

$rows | Export-Csv -Path $CsvPath -NoTypeInformation
Write-Output "Seeded $(@($rows).Count) students into $CsvPath"
