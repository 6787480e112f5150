<#
.SYNOPSIS
    The quality bench: our cmdlets and the plain method on the development images, then every metric.

.DESCRIPTION
    Run by `build.ps1 Quality` (which installs the plain method's packages and builds the module and
    quality/NeuralStyle.Quality first). For each task, in this order:
      1. the tool's prepare-*: the inputs scaled once, as PNG (for the cmdlets) and raw float32 (for plain.py);
      2. plain.py: the plain method (cached in -CachePath, keyed by inputs and code);
      3. ours: New-NeuralTexture / New-StyleTransfer at their defaults, then again with -Octaves 1;
    then the tool's report: metrics, floors, latest.md, latest.json and one contact sheet per task.
    Everything is checked before any work starts; any failure stops the run with the task's name.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ToolPath,
    [Parameter(Mandatory)] [string] $Python,
    [Parameter(Mandatory)] [string] $ImagesPath,
    [Parameter(Mandatory)] [string] $WorkPath,
    [Parameter(Mandatory)] [string] $ResultsPath,
    [Parameter(Mandatory)] [string] $CachePath,
    # Texture and transfer names to run (a transfer by its content's name or its task name, e.g. cat or cat.starry-night); all when empty.
    [string[]] $Images = @(),
    # Texture size; the source is scaled to it on its short side.
    [int] $TextureSize = 256,
    [int] $TransferMaxSize = 320,
    # Our -Iterations; 0 = the cmdlets' default.
    [int] $Iterations = 0,
    # The plain method's objective evaluations.
    [int] $Evaluations = 150,
    [int] $Seed = 1,
    [switch] $Subset
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

# The development set (issue 15): textures, and transfers as content/style pairs.
$textures = @('bricks', 'marble-1', 'pebbles', 'fabric-morris', 'wood-planks', 'bark', 'rock-cliff', 'grass')
$transfers = @(
    @{ Content = 'cat'; Style = 'starry-night' }
    @{ Content = 'portrait-astronaut'; Style = 'great-wave' }
    @{ Content = 'building-colosseum'; Style = 'marble-1' }
    @{ Content = 'landscape-lake'; Style = 'fabric-morris' }
)
foreach ($t in $transfers) { $t.Name = "$($t.Content).$($t.Style)" }

# ---- choose and check everything before any work
$ImagesPath = [IO.Path]::GetFullPath($ImagesPath)
$Images = @($Images | ForEach-Object { $_ -split ',' } | Where-Object { $_ })  # one comma-joined string when run with -File
$known = @($textures) + @($transfers | ForEach-Object { $_.Name; $_.Content })
$unknown = @($Images | Where-Object { $_ -notin $known })
if ($unknown) { throw "Unknown quality image(s): $($unknown -join ', '). Known: $($known -join ', ')." }
if ($Images) {
    $textures = @($textures | Where-Object { $_ -in $Images })
    $transfers = @($transfers | Where-Object { $_.Name -in $Images -or $_.Content -in $Images })
}
function Get-ImagePath([string] $Name) { Join-Path $ImagesPath "$Name.jpg" }
$needed = @($textures | ForEach-Object { Get-ImagePath $_ }) + @($transfers | ForEach-Object { Get-ImagePath $_.Content; Get-ImagePath $_.Style })
$missing = @($needed | Where-Object { -not (Test-Path -LiteralPath $_ -PathType Leaf) })
if ($missing) { throw "Development image(s) not found: $($missing -join ', ') (expected the shared images beside the repository: $ImagesPath)." }
foreach ($file in @($ToolPath, (Join-Path $PSScriptRoot 'plain.py'))) {
    if (-not (Test-Path -LiteralPath $file)) { throw "Not found: $file." }
}
Import-Module $ModulePath
New-Item -ItemType Directory -Force -Path $WorkPath, $ResultsPath, $CachePath | Out-Null

function Invoke-Tool([string[]] $Arguments) {
    & dotnet $ToolPath @Arguments
    if ($LASTEXITCODE -ne 0) { throw "NeuralStyle.Quality $($Arguments[0]) failed (exit code $LASTEXITCODE)." }
}

function Invoke-Plain([string] $Dir) {
    & $Python (Join-Path $PSScriptRoot 'plain.py') (Join-Path $Dir 'plain.json') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "The plain method failed on $(Split-Path $Dir -Leaf) (exit code $LASTEXITCODE)." }
    $r = Get-Content -Raw (Join-Path $Dir 'plain.result.json') | ConvertFrom-Json
    $octaves = (Get-Content -Raw (Join-Path $Dir 'plain.json') | ConvertFrom-Json).octaves
    [pscustomobject]@{ Method = 'plain'; Path = Join-Path $Dir 'plain.png'; Seconds = $r.seconds; Steps = $r.evaluations; Octaves = $octaves; Cached = $r.cached }
}

# Ours through the real cmdlet; wall time around the whole call (network loading included, as plain.py's).
function Invoke-Ours([string] $Method, [scriptblock] $Cmdlet) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $r = & $Cmdlet
    $seconds = $clock.Elapsed.TotalSeconds
    Write-Host ("  {0}: {1:F1} s, {2} steps, {3} octaves" -f $Method, $seconds, $r.Steps, $r.Octaves)
    [pscustomobject]@{ Method = $Method; Path = $r.Path; Seconds = $seconds; Steps = $r.Steps; Octaves = $r.Octaves; Cached = $false }
}

$common = @{ Model = 'ResNet18'; Seed = $Seed; Force = $true }
if ($Iterations -gt 0) { $common.Iterations = $Iterations }
$prepare = @('--evaluations', $Evaluations, '--seed', $Seed, '--cache', $CachePath)
$tasks = [System.Collections.Generic.List[object]]::new()

foreach ($name in $textures) {
    Write-Host "==> texture $name" -ForegroundColor Cyan
    $dir = Join-Path $WorkPath $name
    Invoke-Tool (@('prepare-texture', '--source', (Get-ImagePath $name), '--short-side', $TextureSize, '--size', $TextureSize, '--dir', $dir) + $prepare)
    $source = Join-Path $dir 'source.png'
    $runs = @(
        Invoke-Plain $dir
        Invoke-Ours 'ours' { New-NeuralTexture -LiteralPath $source -Size $TextureSize -OutPath (Join-Path $dir 'ours.png') @common }
        Invoke-Ours 'ours-1-octave' { New-NeuralTexture -LiteralPath $source -Size $TextureSize -Octaves 1 -OutPath (Join-Path $dir 'ours-1-octave.png') @common }
    )
    $tasks.Add([pscustomobject]@{ Name = $name; Kind = 'texture'; Reference = $source; Content = $null; Inputs = @($source); Runs = $runs })
}

foreach ($t in $transfers) {
    Write-Host "==> transfer $($t.Name)" -ForegroundColor Cyan
    $dir = Join-Path $WorkPath $t.Name
    Invoke-Tool (@('prepare-transfer', '--content', (Get-ImagePath $t.Content), '--style', (Get-ImagePath $t.Style), '--max-size', $TransferMaxSize, '--dir', $dir) + $prepare)
    $content = Join-Path $dir 'content.png'
    $style = Join-Path $dir 'style.png'
    # The cmdlet names its output <content>.<style>.png in -OutputDirectory; one folder per variant.
    New-Item -ItemType Directory -Force -Path (Join-Path $dir 'ours'), (Join-Path $dir 'ours-1-octave') | Out-Null
    $runs = @(
        Invoke-Plain $dir
        Invoke-Ours 'ours' { New-StyleTransfer -LiteralPath $content -Style $style -MaxSize $TransferMaxSize -OutputDirectory (Join-Path $dir 'ours') @common }
        Invoke-Ours 'ours-1-octave' { New-StyleTransfer -LiteralPath $content -Style $style -MaxSize $TransferMaxSize -Octaves 1 -OutputDirectory (Join-Path $dir 'ours-1-octave') @common }
    )
    $tasks.Add([pscustomobject]@{ Name = $t.Name; Kind = 'transfer'; Reference = $style; Content = $content; Inputs = @($content, $style); Runs = $runs })
}

$commit = (& git -C $PSScriptRoot rev-parse --short HEAD 2>$null)
$settings = [pscustomobject]@{
    TextureShortSide = $TextureSize; TextureSize = $TextureSize; TransferMaxSize = $TransferMaxSize
    Iterations = if ($Iterations -gt 0) { $Iterations } else { $null }; Evaluations = $Evaluations; Seed = $Seed
    Subset = [bool]$Subset; Commit = if ($LASTEXITCODE -eq 0) { "$commit" } else { $null }
}
$manifest = Join-Path $WorkPath 'runs.json'
[pscustomobject]@{ Settings = $settings; Tasks = $tasks } | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $manifest
Invoke-Tool @('report', '--manifest', $manifest, '--results', $ResultsPath)
