Import-Module Microsoft.Graph.Identity.SignIns

$params = @{
	startDateTime = [System.DateTime]::Parse("2022-06-05T00:00:00.000Z")
	lifetimeInMinutes = 60
	isUsableOnce = $false
}

New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $userId -BodyParameter $params
New-PnPAzureADUserTemporaryAccessPass -Identity johndoe@contoso.onmicrosoft.com
New-PnPAzureADUserTemporaryAccessPass -Identity 72e2eb87-c124-4bd9-8e01-a447a1752058 -IsUseableOnce:$true
New-PnPAzureADUserTemporaryAccessPass -Identity johndoe@contoso.onmicrosoft.com -StartDateTime (Get-Date).AddHours(2) -LifeTimeInMinutes 10 -IsUseableOnce:$true
Get-PnPAzureADUser -Identity johndoe@contoso.onmicrosoft.com | New-PnPAzureADUserTemporaryAccessPass -StartDateTime (Get-Date).AddMinutes(10) -LifeTimeInMinutes 15 -IsUseableOnce:$false
$x = 10MB; $y = $null ?? 'a' + 'b'
Get-MgUser -Property Id,DisplayName | Select-Object -First 5
Write-Output "Hello $name, $($user.DisplayName) `t done" > $env:TEMP\foo.txt 2>$null
function Test-It { param([Parameter(Mandatory)][string]$Name, [int]$Count = 3) "x" }
switch ($x) { 1 { 'one' } default { 'other' } }
foreach ($u in $users) { if ($u.Enabled -and -not $u.Locked) { $n++ } elseif ($u -eq $null) { continue } else { break } }
try { throw "bad" } catch [System.Exception] { Write-Warning $_.Exception.Message } finally { 'f' }
$s = @"
Line $a
  "quoted" $(1+2)
"@
Write-Host “curly” –ForegroundColor Red
[PSCustomObject]@{ Name = 'a'; Value = [int]'5' } | Format-Table
$h = [ordered]@{a=1;b=@(1,2,3)}
(Get-Date).AddHours(2).ToString('o')
1..5 | ForEach-Object { $_ * 2 }
$list | Where-Object { $_.Name -like 'a*' } | Sort-Object -Property Name -Descending
