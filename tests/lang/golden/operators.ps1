$a = 1 + 2 * 3 - 4 / 2 % 3
$b = -not $x -eq $y -and $z -or !$w
$c = 1,2 + 3
$d = 'a{0}' -f 1, 2
$e = $null ?? 10MB ?? 0x10
$f = 1..10 -contains 5
$g = 'abc' -replace 'b', 'x' -split 'x' -join ','
$h = $x -cne $y -ieq $z -notin @(1) -like 'a*'
$i += 5; $j -= 1; $k *= 2; $l /= 2; $m %= 3; $n++; --$o; $p ??= 'd'
$q = [int]'5' + [string]5 -as [int]
$r = -5 -gt -6.5e1
