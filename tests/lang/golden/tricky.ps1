"a $("inner "" quote $(1 + 1)") end"
$h = @{ 'key with space' = 1; 2 = 'two'; (Get-Date).Year = 'y'; "dq" = @{ n = $null } }
Get-X -Filter "name eq 'a'" -Top 5 | % Name
$a[0][1]; $a.b[0].c(); [int[]]$arr = 1, 2
,@(1, 2); -not(Test-Path x); !(Test-Path x)
$x = -1; $y = 5 - -1; $z = $x-1; $w = $x -band 0x0F; 1..$n
switch -Regex -CaseSensitive ($s) { '^a' { 1 } }
function script:Set-Thing { }
& { param($a) $a } 5
"${env:USERPROFILE}\x"
$(if ($x) { 1 } else { 2 })
Get-X | # comment
    Select-Object Name
$env:Path -split ';'
$list.Where({ $_ -gt 1 }).Count
[System.Collections.Generic.List[string]]::new()
$date = [datetime]::UtcNow.AddDays(-7).ToString("yyyy-MM-ddTHH:mm:ssZ")
