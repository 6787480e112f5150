<#
.SYNOPSIS
    Two workers in one process vs one worker doing both jobs in turn, and the 6-item batch serial vs parallel (#14).
.DESCRIPTION
    Small on purpose (128 px, few steps): it runs in about two minutes on 2 cores. Prints one row per way of
    running, with the wall time, the threads each item got and the load average (other processes' work counts
    there too, and so does ours: read it before and after). Run: dotnet pwsh bench/Measure-ScaleOut.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NeuralStyle'),
    [int] $Size = 128,
    [int] $Iterations = 20
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$examples = Join-Path $PSScriptRoot '../examples'
$work = Join-Path ([IO.Path]::GetTempPath()) "neuralstyle-scaleout-$PID"
$null = New-Item -ItemType Directory $work -Force
$load = { (Get-Content /proc/loadavg -ErrorAction Ignore) -replace '^(\S+ \S+ \S+).*', '$1' }
$jobs = (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'fabric-morris.jpg')
$common = @{ Size = $Size; Octaves = 2; Iterations = $Iterations; Seed = 1; Device = 'Cpu' }

function Measure-Way([string] $Name, [scriptblock] $Run) {
    $before = & $load
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $results = @(& $Run)
    [pscustomobject]@{
        Way = $Name; Items = $results.Count; Seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
        Threads = ($results.Threads | ForEach-Object { $_ }) -join '/'; LoadBefore = $before; LoadAfter = & $load
    }
}

# Warm-up: the first synthesis in a process loads libtorch's kernels.
$null = New-NeuralTexture -Source $jobs[0] -Size 64 -Octaves 1 -Iterations 2 -OutPath (Join-Path $work 'warm.png') -Force

$rows = @(
    Measure-Way 'one worker, both jobs in turn' { $jobs | New-NeuralTexture @common -OutputDirectory (Join-Path $work 'serial') -Force }
    Measure-Way 'two workers (-Parallel), budget' {
        $jobs | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModulePath
            $common = $using:common
            New-NeuralTexture -Source $_ @common -OutputDirectory (Join-Path $using:work 'parallel') -Force
        }
    }
    Measure-Way 'two workers (-Parallel), -ThreadCount cores each' {
        $jobs | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:ModulePath
            $common = $using:common
            New-NeuralTexture -Source $_ @common -ThreadCount ([Environment]::ProcessorCount) -OutputDirectory (Join-Path $using:work 'oversubscribed') -Force
        }
    }
)
# The Pester batch: six 64 px transfers, 3 steps each, serial vs two -Parallel workers (items k, k+2, k+4).
$photos = Join-Path $work 'photos'
$null = Get-StylePyramid (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'wood-planks.jpg'), (Join-Path $examples 'starry-night.jpg') -Octaves 2 -OutputDirectory $photos -Device Cpu
$files = @(Get-ChildItem $photos -Filter *.png | Sort-Object Name)
$tiny = @{ Style = (Join-Path $examples 'fabric-morris.jpg'); MaxSize = 64; Octaves = 1; Iterations = 3; Seed = 11; Device = 'Cpu' }
$rows += Measure-Way '6-item batch, serial' { $files | New-StyleTransfer @tiny -OutputDirectory (Join-Path $work 'batch-serial') }
$rows += Measure-Way '6-item batch, 2 workers (-Parallel)' {
    0..1 | ForEach-Object -ThrottleLimit 2 -Parallel {
        Import-Module $using:ModulePath
        $worker = $_; $all = $using:files; $tiny = $using:tiny
        0..($all.Count - 1) | Where-Object { $_ % 2 -eq $worker } | ForEach-Object { $all[$_] } |
            New-StyleTransfer @tiny -OutputDirectory (Join-Path $using:work 'batch-parallel')
    }
}

$rows | Format-Table -AutoSize | Out-String -Width 200
# The issue's criterion. (No byte comparison here: the ways give items different thread counts, so different bytes;
# the Pester batch tests compare bytes at a fixed -ThreadCount.)
$inTurn = $rows[0].Seconds; $parallel = $rows[1].Seconds
"Cores: $([Environment]::ProcessorCount). Two workers (budget) vs one worker doing both in turn: $parallel s vs $inTurn s; " +
    "not slower: $($parallel -le $inTurn)."
Remove-Item $work -Recurse -Force
