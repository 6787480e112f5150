#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Memory against steps (#16): one synthesis through the engine's pipeline, sampling every N steps and at each
    stage boundary the resident size, the live TorchSharp tensors and glibc's heap (in use vs. freed but held).

.DESCRIPTION
    Builds bench/NeuralStyle.Bench and runs its `memory-steps` mode in a process of its own. A flat curve once the
    L-BFGS history is full (20 pairs, from about step 21) means nothing is retained per step; with -Schedule the
    rows at each stage's end show what a stage hands on. Writes the table to
    bench/results/memory-steps-<task>-<size>px[-schedule].md. Linux only (/proc/self/status, mallinfo2).

.EXAMPLE
    dotnet pwsh bench/Measure-MemoryCurve.ps1 -Size 256 -Steps 150            # one stage, 150 steps (~5 min on 2 idle cores)

.EXAMPLE
    dotnet pwsh bench/Measure-MemoryCurve.ps1 -Size 512 -Steps 30 -Schedule   # 4 stages of 30 steps, coarse to fine
#>
param(
    [ValidateSet('texture', 'transfer')] [string] $Task = 'texture',
    [ValidateRange(64, 4096)] [int] $Size = 256,
    [ValidateRange(1, 100000)] [int] $Steps = 150,
    [ValidateRange(1, 100000)] [int] $Every = 10,
    [switch] $Schedule,
    # Forces block-wise evaluation with this tile in every stage (the cmdlets' -TileSize); 0: the planner's choice.
    [ValidateRange(0, 8192)] [int] $TileSize = 0
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$project = Join-Path $root 'bench/NeuralStyle.Bench/NeuralStyle.Bench.csproj'
dotnet build $project -c Debug -nologo -v:q | Out-Host
if ($LASTEXITCODE -ne 0) { throw "Building the bench failed (exit code $LASTEXITCODE)." }
$bin = Split-Path (Get-ChildItem (Join-Path $root 'bench/NeuralStyle.Bench/bin/Debug') -Recurse -Filter 'NeuralStyle.Bench.dll' | Select-Object -First 1).FullName
& (Join-Path $root 'tools/Repair-TorchNativeLoad.ps1') -NativeDirectory $bin | Out-Null
$report = Join-Path $root "bench/results/memory-steps-$Task-${Size}px$(if ($Schedule) { '-schedule' })$(if ($TileSize) { "-tile$TileSize" }).md"
dotnet (Join-Path $bin 'NeuralStyle.Bench.dll') memory-steps $Task $Size $Steps $Every ($Schedule ? 'schedule' : 'single') $TileSize $report
if ($LASTEXITCODE -ne 0) { throw "The memory curve failed (exit code $LASTEXITCODE)." }
Write-Host "Written: $report"
