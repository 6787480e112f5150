<#
.SYNOPSIS
    Makes the README's gallery: textures (source | single-octave | multi-octave | tileable 2×2) and
    style transfers (content | style | -Octaves 1 | multi-octave | -PreserveColor Luminance).

.DESCRIPTION
    Run after a build: dotnet pwsh ./tools/New-Gallery.ps1 (about 15 minutes on a 2-core CPU).
    Reads the development images from ../shared/images (or -Images) and writes PNG strips to docs/gallery.
    Uses ImageMagick's montage to put the strips together (installed with apt-get when missing and root).
#>
param(
    [string] $Images = (Join-Path $PSScriptRoot '../../shared/images'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot '../docs/gallery'),
    [int] $Size = 256,
    [int] $Iterations = 100
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../out/NeuralStyle')
if (-not (Get-Command montage -ErrorAction SilentlyContinue)) { apt-get install -y -q imagemagick | Out-Null }
$work = Join-Path ([IO.Path]::GetTempPath()) "neuralstyle-gallery-$PID"
$null = New-Item -ItemType Directory $work -Force
$null = New-Item -ItemType Directory $OutputDirectory -Force

function Invoke-Montage([string[]] $Tiles, [string[]] $Labels, [string] $Path) {
    $arguments = @()
    for ($i = 0; $i -lt $Tiles.Count; $i++) { $arguments += '-label', $Labels[$i], $Tiles[$i] }
    & montage @arguments -tile "$($Tiles.Count)x1" -geometry "$($Size)x$($Size)+4+4" -pointsize 14 $Path
    if ($LASTEXITCODE -ne 0) { throw "montage failed for $Path" }
}

foreach ($name in 'bricks', 'marble-1', 'fabric-morris', 'pebbles', 'wood-planks') {
    $source = Join-Path $Images "$name.jpg"
    $common = @{ LiteralPath = $source; Size = $Size; Iterations = $Iterations; Seed = 1; Force = $true }
    $single = New-NeuralTexture @common -Octaves 1 -SingleScale -OutPath "$work/$name.single.png"
    $multi = New-NeuralTexture @common -OutPath "$work/$name.multi.png"
    $tile = New-NeuralTexture @common -Tileable -OutPath "$work/$name.tile.png"
    & convert $tile.Path $tile.Path +append "$work/$name.row.png"
    & convert "$work/$name.row.png" "$work/$name.row.png" -append -resize "$($Size)x$($Size)" "$work/$name.tile2x2.png"
    Invoke-Montage @($source, $single.Path, $multi.Path, "$work/$name.tile2x2.png") `
        @($name, '1 octave', "$($multi.Octaves) octaves", 'tileable, 2×2') (Join-Path $OutputDirectory "texture-$name.png")
    "{0}: single {1}s, multi {2}s ({3} octaves), tileable {4}s" -f $name, $single.Seconds, $multi.Seconds, $multi.Octaves, $tile.Seconds
}

foreach ($pair in @(('cat', 'starry-night'), ('portrait-astronaut', 'great-wave'), ('building-colosseum', 'marble-1'))) {
    $content = Join-Path $Images "$($pair[0]).jpg"; $style = Join-Path $Images "$($pair[1]).jpg"
    $common = @{ LiteralPath = $content; Style = $style; MaxSize = $Size; Iterations = $Iterations; Seed = 1; Force = $true }
    $single = New-StyleTransfer @common -Octaves 1 -SingleScale -OutputDirectory "$work/single"
    $multi = New-StyleTransfer @common -OutputDirectory "$work/multi"
    $luma = New-StyleTransfer @common -PreserveColor Luminance -OutputDirectory "$work/luma"
    Invoke-Montage @($content, $style, $single.Path, $multi.Path, $luma.Path) `
        @($pair[0], $pair[1], '1 octave', "$($multi.Octaves) octaves", 'luminance only') (Join-Path $OutputDirectory "transfer-$($pair[0]).png")
    "{0} × {1}: single {2}s, multi {3}s, luminance {4}s" -f $pair[0], $pair[1], $single.Seconds, $multi.Seconds, $luma.Seconds
}
Remove-Item $work -Recurse -Force
