Get-MgUser -Property Id,DisplayName -Filter "startswith(displayName,'a')" -Top:10
Select-Object -Property Name, @{n='Upper';e={$_.Name.ToUpper()}}
Copy-Item $env:TEMP\foo.txt ./bar.txt -Force 2>$null
& $scriptPath -Arg 1 *>&1 | Out-Null
. ./lib.ps1
Get-Thing @params -Verbose:$false >> log.txt
Invoke-Thing -Name:value -Date (Get-Date).AddHours(2).ToString("o") `
    -Last 3
