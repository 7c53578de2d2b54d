# An older PnP.PowerShell script: a pass for the helpdesk's new hires.
# `pscompat translate old-pnp-script.ps1` shows the Microsoft Graph PowerShell version as a diff.
Connect-PnPOnline -Url https://contoso.sharepoint.com -Interactive

foreach ($upn in 'AdeleV@contoso.lab', 'AlexW@contoso.lab') {
    New-PnPAzureADUserTemporaryAccessPass -Identity $upn -LifeTimeInMinutes 120 -IsUseableOnce:$true
}

$user = Get-PnPAzureADUser -Identity DiegoS@contoso.lab
New-PnPAzureADUserTemporaryAccessPass -Identity $user -LifeTimeInMinutes 480
