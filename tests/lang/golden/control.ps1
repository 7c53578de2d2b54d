function Get-Double { param([Parameter(Mandatory=$true, ValueFromPipeline)][int[]]$Value, [switch]$Loud) process { $Value * 2 } }
filter Add-One { $_ + 1 }
function Old-Style($a, $b = 2) { return $a + $b }
for ($i = 0; $i -lt 3; $i++) { if ($i -eq 1) { continue } }
while ($true) { break }
do { $x-- } until ($x -le 0)
do { $x++ } while ($x -lt 5)
switch -Wildcard ($name) { 'a*' { 'A' } b { 'B'; break } default { 'other' } }
try { Get-Item nope -ErrorAction Stop } catch [System.IO.IOException], [System.Exception] { $_.Exception.Message } catch { throw } finally { 'done' }
:outer foreach ($u in $users) { foreach ($g in $u.Groups) { break outer } }
$result = if ($x) { 1 } else { 2 }
$items = foreach ($i in 1..3) { $i }
exit 3
