# PnP style: look the user up, pipe it into the pass cmdlet, keep what the helpdesk needs.
$result = Get-PnPAzureADUser -Identity DiegoS@contoso.lab |
    New-PnPAzureADUserTemporaryAccessPass -StartDateTime (Get-Date).AddMinutes(10) -LifeTimeInMinutes 60 -IsUseableOnce:$false |
    Select-Object -Property IsUsableOnce, LifetimeInMinutes, @{ Name = 'Starts'; Expression = { $_.StartDateTime.ToUniversalTime().ToString('yyyy-MM-dd') } }
$result | Format-List
