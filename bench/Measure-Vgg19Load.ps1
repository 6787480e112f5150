#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Loads full-size VGG19 state dicts (torchvision's keys and shapes, 548 MB of random float32) in the legacy
    pre-1.6 torch.save format, the zip format and safetensors, as a user file and from the cache, runs one tiny
    step on each, and prints load time and peak memory. Needs Linux (/proc/self/status) and about 2 GB of disk.

.DESCRIPTION
    Runs the opt-in engine test Vgg19FullSizeLoadTests (skipped in CI: too slow and too big on 2 cores). The
    fixture files are written once to $TMPDIR/neuralstyle-vgg19-full and reused; delete that folder to rebuild them.
    Writes the table to bench/results/vgg19-load.md. Run after one `./build.ps1 Test` (it places the native libraries).
#>
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$report = Join-Path $root 'bench/results/vgg19-load.md'
$rows = [IO.Path]::GetTempFileName()
$env:NEURALSTYLE_FULL_VGG19 = '1'
$env:NEURALSTYLE_FULL_VGG19_REPORT = $rows
try {
    dotnet test (Join-Path $root 'tests/NeuralStyle.Core.Tests') -c Debug --no-build -nologo `
        --filter 'FullyQualifiedName~Vgg19FullSizeLoadTests'
    if ($LASTEXITCODE -ne 0) { throw "The full-size VGG19 load test failed (exit code $LASTEXITCODE)." }
}
finally {
    $env:NEURALSTYLE_FULL_VGG19 = $null
    $env:NEURALSTYLE_FULL_VGG19_REPORT = $null
}
$lines = @(
    "# Full-size VGG19 loading ($(Get-Date -Format 'yyyy-MM-dd'), $([Environment]::ProcessorCount) cores)"
    ''
    'Peak = rise of the resident-memory high-water mark (VmHWM) over the RSS just before the load.'
    ''
    '| format | route | file | load time | peak during load |'
    '| --- | --- | --- | --- | --- |'
) + (Get-Content $rows)
Set-Content -Path $report -Value $lines
Remove-Item $rows
Get-Content $report
