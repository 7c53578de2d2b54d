'it''s' + "say ""hi"" `$x `t"
"$env:USERNAME at $(Get-Date -Format 'yyyy') $script:count ${weird name} $a.Prop $b[0]"
@'
literal $x
'@
@"
expand $x `"$(1+2)`"
"@
‘curly single’ + “curly double”
Write-Host –NoNewline — done
