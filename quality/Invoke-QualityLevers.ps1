<#
.SYNOPSIS
    Lever sweep for the quality bench: variants of our cmdlets' settings on the inputs a full
    `./build.ps1 Quality` run prepared (out/quality/<task>/: scaled source, plain.png), measured
    with the same tool. How quality/results/levers.md was made.

.EXAMPLE
    dotnet pwsh -c "& quality/Invoke-QualityLevers.ps1 -Tag tv -Textures marble-1,bricks -Variants @{ tv0 = @{ TvWeight = 0 }; tv01 = @{ TvWeight = 0.01 } }"
    Writes out/levers/tv/results/latest.md (every metric per variant, plain as reference) and prints a compact table.
#>
param(
    [string] $Module = (Join-Path $PSScriptRoot '../out/NeuralStyle/NeuralStyle.psd1'),
    [Parameter(Mandatory)] [hashtable] $Variants,   # name -> cmdlet parameter hashtable
    [string[]] $Textures = @('bricks', 'marble-1'),
    [string[]] $Transfers = @(),
    [string] $Work = (Join-Path $PSScriptRoot '../out/quality'),
    [string] $Tag = 'sweep',
    # Fixed libtorch threads: results are byte-identical run to run only at the same thread count.
    [int] $Threads = 1,
    # Another seed gives another sample of a variant: how far a figure moves from the start's noise alone.
    [int] $Seed = 1
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$tool = Join-Path $PSScriptRoot 'NeuralStyle.Quality/bin/Debug/net10.0/linux-x64/NeuralStyle.Quality.dll'
$outRoot = Join-Path $PSScriptRoot "../out/levers/$Tag"
New-Item -ItemType Directory -Force $outRoot | Out-Null
# The plain method's run, then every variant through $Run (a cmdlet call given the variant's output path and parameters).
function Get-Runs([string] $Name, [string] $Dir, [scriptblock] $Run) {
    $plainResult = Get-Content -Raw (Join-Path $Dir 'plain.result.json') | ConvertFrom-Json
    [pscustomobject]@{ Method = 'plain'; Path = (Join-Path $Dir 'plain.png'); Seconds = $plainResult.seconds; Steps = $plainResult.evaluations; Octaves = 4; Cached = $true }
    foreach ($v in $Variants.Keys | Sort-Object) {
        $out = Join-Path $outRoot "$Name.$v.png"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = & $Run $out $Variants[$v]
        $s = $clock.Elapsed.TotalSeconds
        Write-Host ("  {0} {1}: {2:F1} s, {3} steps" -f $Name, $v, $s, $r.Steps)
        [pscustomobject]@{ Method = $v; Path = $out; Seconds = $s; Steps = $r.Steps; Octaves = $r.Octaves; Cached = $false }
    }
}
$common = @{ Model = 'ResNet18'; Seed = $Seed; Force = $true; ThreadCount = $Threads }
$tasks = @()
foreach ($name in $Textures) {
    $dir = Join-Path $Work $name
    $source = Join-Path $dir 'source.png'
    $runs = @(Get-Runs $name $dir { param($out, $p) New-NeuralTexture -LiteralPath $source -Size 256 -OutPath $out @common @p })
    $tasks += [pscustomobject]@{ Name = $name; Kind = 'texture'; Reference = $source; Content = $null; Inputs = @($source); Runs = $runs }
}
foreach ($name in $Transfers) {
    $dir = Join-Path $Work $name
    $content = Join-Path $dir 'content.png'; $style = Join-Path $dir 'style.png'
    $runs = @(Get-Runs $name $dir { param($out, $p) New-StyleTransfer -LiteralPath $content -Style $style -MaxSize 320 -OutPath $out @common @p })
    $tasks += [pscustomobject]@{ Name = $name; Kind = 'transfer'; Reference = $style; Content = $content; Inputs = @($content, $style); Runs = $runs }
}
$settings = [pscustomobject]@{ TextureShortSide = 256; TextureSize = 256; TransferMaxSize = 320; Iterations = $null; Evaluations = 150; Seed = $Seed; Subset = $true; Commit = $null }
$manifest = Join-Path $outRoot 'runs.json'
[pscustomobject]@{ Settings = $settings; Tasks = $tasks } | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $manifest
& dotnet $tool report --manifest $manifest --results (Join-Path $outRoot 'results') | Out-Null
# A compact table: one line per task and method.
$j = Get-Content -Raw (Join-Path $outRoot 'results/latest.json') | ConvertFrom-Json
$j.Rows | ForEach-Object { '{0,-28} {1,-14} col {2:F4} spec {3:F3} patch {4} mean {5:F4} edge {6} s {7}' -f $_.Task, $_.Method, $_.Color, $_.Spectrum, (($_.Patch | ForEach-Object { $_.ToString('F3') }) -join '/'), $_.PatchMean, $(if ($_.EdgeCorrelation) { $_.EdgeCorrelation.ToString('F3') } else { '' }), $(if ($_.Seconds) { $_.Seconds.ToString('F0') } else { '' }) }
