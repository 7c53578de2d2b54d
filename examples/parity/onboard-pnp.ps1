# Onboarding with PnP: a one-time pass for each pilot user, and a reusable one for the helpdesk
Connect-PnPOnline -Url https://contoso.sharepoint.com -Interactive

foreach ($upn in 'AdeleV@contoso.lab', 'AlexW@contoso.lab') {
    New-PnPAzureADUserTemporaryAccessPass -Identity $upn -LifeTimeInMinutes 120 -IsUseableOnce:$true
}

Get-PnPAzureADUser -Identity DiegoS@contoso.lab |
    New-PnPAzureADUserTemporaryAccessPass -StartDateTime (Get-Date).AddMinutes(30) -LifeTimeInMinutes 240
