#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Build, test, demo and package NeuralStyle.

.DESCRIPTION
    One entry point for every machine and for CI. Run it through the repository's local
    PowerShell tool so nothing needs to be installed globally:

        dotnet tool restore && dotnet pwsh ./build.ps1 Test

    Tasks:
      Build    Publish the module to out/NeuralStyle (cmdlets, native libtorch, format, help).
      Test     Build and Package, then run the engine tests (xunit) and the module tests (Pester, which also
               install the package from a local repository). Installs Debian's openssh-server and openssh-client
               when missing, for the remoting test (which skips, saying why, where they cannot be installed).
      Demo     Build, then run the main job on the bundled example images into out/demo.
      Package  Build the gallery package: out/package/NeuralStyle (portable, no natives, no model) published with
               Publish-PSResource into out/NeuralStyle.<version>.nupkg. Users add the natives and the ResNet-18
               model with Install-StyleRuntime.
      Bench    Build, then time our engine against an independent PyTorch reference doing identical
               work (bench/README.md); writes bench/results/latest.md and latest.json. Installs the
               reference's Debian packages (python3-torch, python3-onnx, python3-numpy,
               libopenblas0-pthread) when missing. Run it on an otherwise idle machine.
      Quality  Build, then run our cmdlets and the plain method (quality/plain.py, Snelgrove/Gatys in PyTorch) on the
               development images in ../shared/images and measure colour, spectrum, patch and edge metrics
               (README, "Quality"); writes quality/results/latest.md, latest.json and a contact sheet per task
               (a subset or quick check: out/quality/results). Installs the same Debian packages as Bench.
      Clean    Remove out/ and every bin/ and obj/ folder.

.PARAMETER TorchBackend
    The libtorch bundle to build against: cpu (default), cuda-linux or cuda-windows.
    The CUDA bundles are large and not served by every NuGet mirror.

.PARAMETER BenchSizes
    Bench: the square image sizes to measure (default 256, 512, 1024; e.g. -BenchSizes 128 for a quick check).

.PARAMETER BenchJobs
    Bench: the whole default jobs to run, each as task-size (default texture-512, texture-2048, transfer-1024:
    New-NeuralTexture -Size 512 and 2048, New-StyleTransfer -MaxSize 1024), or none.

.PARAMETER BenchPython
    Bench: the Python whose torch is the reference (default Debian's /usr/bin/python3, whose packages the task
    installs). Another one (e.g. with a CUDA torch, for GPU rows) must already have torch, onnx and numpy.

.PARAMETER QualityImages
    Quality: run only these textures / transfers (a transfer by its content's name, e.g. cat, or cat.starry-night).

.PARAMETER QualityTextureSize
    Quality: texture size, the source scaled to it on its short side (default 256).

.PARAMETER QualityTransferSize
    Quality: the transfers' -MaxSize (default 320).

.PARAMETER QualityIterations
    Quality: our -Iterations for a quick check (default 0: the cmdlets' default).

.PARAMETER QualityEvaluations
    Quality: the plain method's objective evaluations (default 150).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Quality', 'Clean')]
    [string[]] $Task = 'Build',
    # Default: Release when a Six Labors licence is available (ImageSharp 4 checks one at Release
    # build time: SixLaborsLicenseKey in the environment or sixlabors.lic at the root), else Debug.
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration,
    [ValidateSet('cpu', 'cuda-linux', 'cuda-windows')]
    [string] $TorchBackend = 'cpu',
    [ValidateRange(32, 8192)]
    [int[]] $BenchSizes = @(256, 512, 1024),
    [string[]] $BenchJobs = @('texture-512', 'texture-2048', 'transfer-1024'),
    [string] $BenchPython = '/usr/bin/python3',
    [string[]] $QualityImages = @(),
    [ValidateRange(64, 4096)]
    [int] $QualityTextureSize = 256,
    [ValidateRange(64, 4096)]
    [int] $QualityTransferSize = 320,
    [ValidateRange(0, 100000)]
    [int] $QualityIterations = 0,
    [ValidateRange(1, 100000)]
    [int] $QualityEvaluations = 150
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out 'NeuralStyle'
$packageDir = Join-Path $out 'package/NeuralStyle'
if (-not $Configuration) {
    $hasLicence = $env:SixLaborsLicenseKey -or (Test-Path (Join-Path $root 'sixlabors.lic'))
    $Configuration = $hasLicence ? 'Release' : 'Debug'
}
$rid = if ($IsWindows) { 'win-x64' } elseif ($IsMacOS) { 'osx-arm64' } else { 'linux-x64' }

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

# A fresh pwsh for steps that must not share this process (help generation, Pester).
function Invoke-ChildPwsh([string[]] $Arguments) {
    $exe = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path -LiteralPath $exe) { & $exe -NoProfile -NonInteractive @Arguments }
    else { & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive @Arguments }
}

# The module folder's layout: the cmdlet assembly, manifest, format and help at the top; the engine and
# every dependency (and, in a development build, the natives) in Dependencies/, which the module's own
# load context reads (see EngineLoadContext.cs), so other modules' versions never clash with ours.
function Publish-Module([string] $Destination, [string[]] $PublishArguments) {
    $staging = "$Destination.publish"
    foreach ($dir in $Destination, $staging) { if (Test-Path $dir) { Remove-Item $dir -Recurse -Force } }
    Invoke-Native 'dotnet publish' {
        dotnet publish (Join-Path $root 'src/NeuralStyle.PowerShell/NeuralStyle.PowerShell.csproj') `
            -c $Configuration -o $staging -nologo -v:q @PublishArguments
    }
    $dependencies = Join-Path $Destination 'Dependencies'
    $null = New-Item -ItemType Directory $dependencies -Force
    Get-ChildItem $staging | Where-Object Name -notmatch '^NeuralStyle\.PowerShell\.(dll|pdb)$|\.deps\.json$' | Move-Item -Destination $dependencies
    Get-ChildItem $staging -Filter 'NeuralStyle.PowerShell.*' | Where-Object Name -match '\.(dll|pdb)$' | Move-Item -Destination $Destination
    Remove-Item $staging -Recurse -Force
    foreach ($file in 'NeuralStyle.psd1', 'NeuralStyle.psm1', 'LICENSE', 'THIRD-PARTY-NOTICES.txt', 'src/NeuralStyle.PowerShell/NeuralStyle.Format.ps1xml') {
        Copy-Item (Join-Path $root $file) $Destination
    }
    $helpDir = Join-Path $Destination 'en-US'
    $null = New-Item -ItemType Directory $helpDir -Force
    Copy-Item (Join-Path $root 'docs/help/about_NeuralStyle.help.txt') $helpDir
    Invoke-Native 'help generation' {
        Invoke-ChildPwsh @('-File', (Join-Path $root 'tools/New-MamlHelp.ps1'), '-ModulePath', $Destination,
            '-SourceDirectory', (Join-Path $root 'docs/help'), '-OutputPath', (Join-Path $helpDir 'NeuralStyle.PowerShell.dll-Help.xml'))
    }
}

function Invoke-Build {
    Write-Host "==> Build ($Configuration, TorchSharp-$TorchBackend, $rid)" -ForegroundColor Cyan
    # A development build carries the natives from the local restore, so it runs without Install-StyleRuntime.
    Publish-Module $moduleDir @('-r', $rid, '--self-contained', 'false', "-p:TorchBackend=$TorchBackend")
    $dependencies = Join-Path $moduleDir 'Dependencies'
    # Test and tooling libraries that libtorch ships but the module never loads.
    Get-ChildItem $dependencies -File | Where-Object Name -match '^(libtorch_python|libjitbackend_test|libtorchbind_test|libbackend_with_compiler|libaoti_custom_ops|libnnapi_backend)\.' |
        Remove-Item -Force
    & (Join-Path $root 'tools/Repair-TorchNativeLoad.ps1') -NativeDirectory $dependencies
    Write-Host "Module ready: $moduleDir"
}

function Get-NuGetPackageFolder {
    $line = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    return $line.Trim()
}

function Invoke-Test {
    # The remoting test (tests/Pester/ScaleOut.Tests.ps1) starts Debian's sshd on loopback; without it, it skips.
    if ($IsLinux) { Install-DebianPackage @('openssh-server', 'openssh-client') 'the remoting test' -Optional }
    Write-Host '==> Engine tests (xunit)' -ForegroundColor Cyan
    $testProject = Join-Path $root 'tests/NeuralStyle.Core.Tests/NeuralStyle.Core.Tests.csproj'
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    Invoke-Native 'dotnet build (tests)' { dotnet build $testProject -c $Configuration -p:TorchBackend=$TorchBackend -nologo -v:q }
    # The bench and the quality tool share the engine's types but run only on demand: build them here so a change
    # to the engine or their shared contracts cannot break them unseen.
    foreach ($tool in 'bench/NeuralStyle.Bench/NeuralStyle.Bench.csproj', 'quality/NeuralStyle.Quality/NeuralStyle.Quality.csproj') {
        Invoke-Native "dotnet build ($(Split-Path $tool -Leaf))" { dotnet build (Join-Path $root $tool) -c $Configuration -p:TorchBackend=$TorchBackend -nologo -v:q }
    }
    $testBin = Split-Path (Get-ChildItem (Join-Path $root "tests/NeuralStyle.Core.Tests/bin/$Configuration") -Recurse -Filter 'NeuralStyle.Core.Tests.dll' | Select-Object -First 1).FullName
    & (Join-Path $root 'tools/Repair-TorchNativeLoad.ps1') -NativeDirectory $testBin
    dotnet test $testProject -c $Configuration --no-build -nologo --logger 'trx;LogFileName=engine.trx' --results-directory $results
    $xunitExit = $LASTEXITCODE
    $trx = [xml](Get-Content -Raw (Join-Path $results 'engine.trx'))
    $counters = $trx.TestRun.ResultSummary.Counters
    # Skipped tests (SkippableFact) are results with outcome NotExecuted, but the trx counters leave notExecuted at 0.
    $engine = [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error; Skipped = [int]$counters.total - [int]$counters.executed }
    if ($xunitExit -ne 0 -and $engine.Failed -eq 0) { $engine.Failed = 1 }

    Write-Host '==> Module tests (Pester)' -ForegroundColor Cyan
    Invoke-Native 'restore of test tools' { dotnet restore (Join-Path $root 'tools/TestTools.csproj') -nologo -v:q }
    $pester = Join-Path (Get-NuGetPackageFolder) 'pester/6.2.0/tools/Pester.psd1'
    $summary = Join-Path $results 'pester-summary.json'
    $env:NEURALSTYLE_PACKAGE = $packageDir
    Invoke-ChildPwsh @('-File', (Join-Path $root 'tests/Invoke-PesterSuite.ps1'), '-PesterPath', $pester,
        '-ModulePath', $moduleDir, '-TestPath', (Join-Path $root 'tests/Pester'), '-SummaryPath', $summary)
    $module = Get-Content -Raw $summary | ConvertFrom-Json

    $passed = $engine.Passed + $module.Passed
    $failed = $engine.Failed + $module.Failed
    $skipped = $engine.Skipped + $module.Skipped
    Write-Host ("Engine: {0} passed, {1} failed; module: {2} passed, {3} failed" -f $engine.Passed, $engine.Failed, $module.Passed, $module.Failed)
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { throw "$failed test(s) failed." }
}

function Invoke-Demo {
    Write-Host '==> Demo: style transfer and texture synthesis on the bundled examples (bundled ResNet-18, CPU)' -ForegroundColor Cyan
    $demoOut = Join-Path $out 'demo'
    $examples = Join-Path $root 'examples'
    Invoke-ChildPwsh @('-Command', @"
`$ErrorActionPreference = 'Stop'
Import-Module '$moduleDir'
Get-ChildItem '$examples' -Filter cat.jpg | New-StyleTransfer -Style '$examples/starry-night.jpg' -MaxSize 384 -Seed 1 -OutputDirectory '$demoOut' -Force | Format-Table
New-NeuralTexture -Source '$examples/wood-planks.jpg' -Width 384 -Height 256 -Seed 1 -OutputDirectory '$demoOut' -Force | Format-Table
Get-StylePyramid '$examples/fabric-morris.jpg' -Octaves 4 -OutputDirectory '$demoOut' -Force | Format-Table
"@)
    if ($LASTEXITCODE -ne 0) { throw 'Demo failed.' }
    Write-Host "Demo output: $demoOut"
}

# Debian packages by name, installed with apt-get (as root or with passwordless sudo) when missing. When they
# cannot be installed: throws, or with -Optional warns (what needs them then skips, saying why) and goes on.
function Install-DebianPackage([string[]] $Packages, [string] $Purpose, [switch] $Optional) {
    $missing = @($Packages | Where-Object { -not (Get-Command dpkg-query -ErrorAction SilentlyContinue) -or
            (& dpkg-query -W -f '${Status}' $_ 2>$null) -ne 'install ok installed' })
    if (-not $missing) { return }
    $isRoot = (& id -u) -eq '0'
    $canSudo = $false
    if (-not $isRoot -and (Get-Command sudo -ErrorAction SilentlyContinue)) { & sudo -n true 2>$null; $canSudo = $LASTEXITCODE -eq 0 }
    try {
        if (-not (Get-Command apt-get -ErrorAction SilentlyContinue)) { throw "Debian's $($missing -join ', '), needed by $Purpose, cannot be installed: apt-get not found on this system." }
        if (-not $isRoot -and -not $canSudo) {
            throw "$($missing -join ', '), needed by $Purpose, cannot be installed: run as root, with passwordless sudo, or install them first: sudo apt-get install $($Packages -join ' ')"
        }
        Write-Host "Installing $($missing -join ', ') for $Purpose"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        $apt = { param([string[]] $Arguments) if ($isRoot) { & apt-get @Arguments } else { & sudo -n apt-get @Arguments } }
        Invoke-Native 'apt-get update' { & $apt @('update', '-q') }
        Invoke-Native 'apt-get install' { & $apt (@('install', '-y', '-q') + $missing) }
    }
    catch {
        if (-not $Optional) { throw }
        Write-Warning "$($_.Exception.Message) ($Purpose skips without $($missing -join ', '))"
    }
}

# The reference runs on Debian's PyTorch (1.13), not on whatever python3 is first on PATH.
function Install-BenchReference {
    $probe = {
        if (-not (Get-Command $BenchPython -ErrorAction SilentlyContinue)) { return $false }
        & $BenchPython -c 'import torch, onnx, numpy' 2>$null
        $LASTEXITCODE -eq 0
    }
    $packages = @('python3-torch', 'python3-onnx', 'python3-numpy', 'libopenblas0-pthread')
    if ($BenchPython -ne '/usr/bin/python3') {
        if (-not (& $probe)) { throw "$BenchPython cannot import torch, onnx and numpy; install them for it or leave -BenchPython at /usr/bin/python3." }
        return
    }
    # libopenblas0-pthread: a multithreaded BLAS for the reference's torch (Debian's default libblas is single-threaded reference code).
    Install-DebianPackage $packages 'the bench reference'
    if (-not (& $probe)) { throw "$BenchPython still cannot import torch, onnx and numpy after installing $($packages -join ', ')." }
}

# Builds a console project that runs TorchSharp (folder relative to the root, named as its .csproj) and returns its bin folder.
function Build-TorchConsole([string] $Folder) {
    $name = Split-Path $Folder -Leaf
    Invoke-Native "dotnet build ($name)" { dotnet build (Join-Path $root "$Folder/$name.csproj") -c $Configuration -p:TorchBackend=$TorchBackend -nologo -v:q } | Out-Host
    $bin = Split-Path (Get-ChildItem (Join-Path $root "$Folder/bin/$Configuration") -Recurse -Filter "$name.dll" | Select-Object -First 1).FullName
    & (Join-Path $root 'tools/Repair-TorchNativeLoad.ps1') -NativeDirectory $bin | Out-Host
    return $bin
}

function Invoke-Bench {
    Write-Host '==> Bench: our engine vs. the PyTorch reference (bench/reference.py)' -ForegroundColor Cyan
    Install-BenchReference
    $benchBin = Build-TorchConsole 'bench/NeuralStyle.Bench'
    Invoke-Native 'bench' { dotnet (Join-Path $benchBin 'NeuralStyle.Bench.dll') --root $root --sizes ($BenchSizes -join ',') --jobs ($BenchJobs -join ',') --python $BenchPython }
}

# Our cmdlets against the plain method on the development images (README, "Quality"); the full set at the
# issue's sizes writes quality/results, anything less out/quality/results, so a quick check never replaces them.
function Invoke-Quality {
    Write-Host '==> Quality: our cmdlets vs. the plain method (quality/plain.py) on ../shared/images' -ForegroundColor Cyan
    Install-BenchReference
    $toolBin = Build-TorchConsole 'quality/NeuralStyle.Quality'
    $subset = $QualityImages.Count -gt 0 -or $QualityTextureSize -ne 256 -or $QualityTransferSize -ne 320 -or $QualityIterations -ne 0 -or $QualityEvaluations -ne 150
    Invoke-Native 'quality bench' {
        Invoke-ChildPwsh (@('-File', (Join-Path $root 'quality/Invoke-QualityBench.ps1'), '-ModulePath', $moduleDir,
            '-ToolPath', (Join-Path $toolBin 'NeuralStyle.Quality.dll'), '-Python', $BenchPython,
            '-ImagesPath', (Join-Path $root '../shared/images'), '-WorkPath', (Join-Path $out 'quality'),
            '-ResultsPath', ($subset ? (Join-Path $out 'quality/results') : (Join-Path $root 'quality/results')),
            '-CachePath', (Join-Path $root 'quality/cache'), '-TextureSize', $QualityTextureSize, '-TransferMaxSize', $QualityTransferSize,
            '-Iterations', $QualityIterations, '-Evaluations', $QualityEvaluations) + ($QualityImages ? @('-Images', ($QualityImages -join ',')) : @()) +
            ($subset ? @('-Subset') : @()))
    }
}

# What users install from a gallery: managed assemblies, help and notices only (portable, no RID, no
# natives, no model: Install-StyleRuntime brings the natives and the ResNet-18 model, 60 MB, from NuGet).
function Invoke-Package {
    Write-Host "==> Package ($Configuration, portable, no natives, no model)" -ForegroundColor Cyan
    Publish-Module $packageDir @('-p:TorchBackend=none')
    # The managed TorchSharp package carries LibTorchSharp for every platform; the runtime installer brings the one that fits.
    foreach ($left in 'Dependencies/runtimes', 'Dependencies/models') {
        $path = Join-Path $packageDir $left
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
    $version = (Import-PowerShellDataFile (Join-Path $root 'NeuralStyle.psd1')).ModuleVersion
    $repository = Join-Path $out 'repository'
    if (Test-Path $repository) { Remove-Item $repository -Recurse -Force }
    $null = New-Item -ItemType Directory $repository
    # Publish-PSResource builds the .nupkg exactly as the gallery would receive it.
    Invoke-Native 'Publish-PSResource' {
        Invoke-ChildPwsh @('-Command', "`$ErrorActionPreference = 'Stop'; `$name = 'NeuralStyleBuild-' + [guid]::NewGuid().ToString('N');" +
            "Register-PSResourceRepository -Name `$name -Uri '$repository' -Trusted; try { Publish-PSResource -Path '$packageDir' -Repository `$name } finally { Unregister-PSResourceRepository -Name `$name }")
    }
    $nupkg = Get-Item (Join-Path $repository "NeuralStyle.$version.nupkg")
    Copy-Item $nupkg.FullName $out
    Write-Host ("Package: {0} ({1:N1} MB)" -f (Join-Path $out $nupkg.Name), ($nupkg.Length / 1MB))
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' {
            Get-ChildItem $root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
            if (Test-Path $out) { Remove-Item $out -Recurse -Force }
        }
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Package; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Build; Invoke-Bench }
        'Quality' { Invoke-Build; Invoke-Quality }
    }
}
