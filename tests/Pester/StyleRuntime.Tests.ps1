# Install-StyleRuntime against a NuGet v3 feed this test starts on loopback, with fixture packages it builds
# (a CPU libtorch and a CUDA head whose big file is split over part packages, as TorchSharp publishes them)
# beside the real TorchSharp 0.107.0 package from the NuGet cache (3 MB, for libLibTorchSharp), and a fixture of the
# ResNet-18 model's package (Microsoft.ML.DnnImageFeaturizer.ResNet18, whose ResNet18.onnx every runtime brings).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'LoopbackNuGetFeed.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $packagesRoot = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path $HOME '.nuget/packages')
    $torchSharp = Join-Path $packagesRoot 'torchsharp/0.107.0/torchsharp.0.107.0.nupkg'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "ns-runtime-$([guid]::NewGuid().ToString('N'))"
    $fixtures = (New-Item -ItemType Directory (Join-Path $work 'fixtures')).FullName
    $rid = 'linux-x64'
    $bytes = { param([int] $n, [int] $seed) $b = [byte[]]::new($n); [System.Random]::new($seed).NextBytes($b); , $b }
    $cpuLib = & $bytes 5000 1
    $cpu = New-FixturePackage $fixtures "libtorch-cpu-$rid" '2.10.0' @{ "runtimes/$rid/native/libtorch_cpu.so" = $cpuLib; "runtimes/$rid/native/libc10.so" = (& $bytes 300 2) }
    $modelBytes = & $bytes 2000 5
    $model = New-FixturePackage $fixtures 'Microsoft.ML.DnnImageFeaturizer.ResNet18' '0.23.1' @{ 'tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx' = $modelBytes; 'lib/netstandard2.0/Microsoft.ML.DnnImageFeaturizer.ResNet18.dll' = (& $bytes 100 6) }
    # A CUDA head listing its parts; libtorch_cuda.so is split into a primary (with the whole file's SHA-256) and two fragments.
    $cudaId = "libtorch-cuda-12.8-$rid"
    $big = & $bytes 300000 3
    $chunk = { param([int] $from, [int] $count) , [byte[]]$big[$from..($from + $count - 1)] }
    $sha = ([System.Security.Cryptography.SHA256]::HashData($big) | ForEach-Object { $_.ToString('x2') }) -join ''
    $parts = @("$cudaId-part1", "$cudaId-part2-primary", "$cudaId-part2-fragment1", "$cudaId-part2-fragment2")
    $cudaPackages = @(
        (New-FixturePackage $fixtures $cudaId '2.10.0' -Dependencies $parts)
        (New-FixturePackage $fixtures $parts[0] '2.10.0' @{ "runtimes/$rid/native/libc10_cuda.so" = (& $bytes 400 4) })
        (New-FixturePackage $fixtures $parts[1] '2.10.0' @{ "runtimes/$rid/native/libtorch_cuda.so" = (& $chunk 0 100000); "runtimes/$rid/native/libtorch_cuda.so.sha" = [System.Text.Encoding]::ASCII.GetBytes($sha) })
        (New-FixturePackage $fixtures $parts[2] '2.10.0' @{ "fragments/$rid/native/libtorch_cuda.so.fragment1" = (& $chunk 100000 100000) })
        (New-FixturePackage $fixtures $parts[3] '2.10.0' @{ "fragments/$rid/native/libtorch_cuda.so.fragment2" = (& $chunk 200000 100000) }))

    function Get-InstallError([scriptblock] $Install) {
        try { & $Install; $null } catch { $_ }
    }
}

AfterAll {
    Remove-Item Env:NEURALSTYLE_RUNTIME_ROOT -ErrorAction SilentlyContinue
    Remove-UnwritableDirectory (Join-Path $work 'locked')
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Install-StyleRuntime' -Skip:(-not $IsLinux) {
    BeforeEach {
        $env:NEURALSTYLE_RUNTIME_ROOT = Join-Path $work ([guid]::NewGuid().ToString('N'))
        $feed = $null
    }
    AfterEach { Stop-LoopbackFeed $feed }

    It 'installs the CPU runtime from a v3 feed: each package checked, natives unpacked, recorded, listed by Get-StyleRuntime' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model)
        $runtime = Install-StyleRuntime -Backend Cpu -Source $feed.Index
        $runtime.Backend | Should -Be 'Cpu'
        $runtime.Scope | Should -Be 'CurrentUser'
        $runtime.Path | Should -Be (Join-Path $env:NEURALSTYLE_RUNTIME_ROOT "0.107.0/cpu-$rid")
        $runtime.Packages | Should -Be @('TorchSharp 0.107.0', "libtorch-cpu-$rid 2.10.0", 'Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1')
        [Convert]::ToBase64String([System.IO.File]::ReadAllBytes((Join-Path $runtime.Path 'libtorch_cpu.so'))) | Should -Be ([Convert]::ToBase64String($cpuLib))
        # The model the gallery package leaves out, and nothing else of its package (no Microsoft.ML assembly).
        [Convert]::ToBase64String([System.IO.File]::ReadAllBytes((Join-Path $runtime.Path 'models/ResNet18.onnx'))) | Should -Be ([Convert]::ToBase64String($modelBytes))
        @(Get-ChildItem $runtime.Path -Recurse -Filter 'Microsoft.ML*') | Should -BeNullOrEmpty
        $runtime.Size | Should -Be ((Get-ChildItem $runtime.Path -Recurse -File | Where-Object Name -ne 'runtime.json' | Measure-Object Length -Sum).Sum)
        Test-Path (Join-Path $runtime.Path 'libLibTorchSharp.so') | Should -BeTrue
        Test-Path (Join-Path $runtime.Path 'runtime.json') | Should -BeTrue
        Test-Path "$($runtime.Path).partial" | Should -BeFalse
        (Get-StyleRuntime | Where-Object Scope -eq 'CurrentUser').Path | Should -Be $runtime.Path
        # Where the system libstdc++ lacks GLIBCXX_3.4.32 (Debian 12), the requirement is weak, so the library loads.
        $libstdcxx = (& ldconfig -p | Select-String 'libstdc\+\+\.so\.6 .*x86-64.* => (.+)$').Matches[0].Groups[1].Value
        if (-not (Select-String -LiteralPath $libstdcxx -Pattern 'GLIBCXX_3.4.32' -SimpleMatch -Quiet)) {
            (& readelf -V (Join-Path $runtime.Path 'libLibTorchSharp.so') | Select-String 'Name: GLIBCXX_3.4.32').Line | Should -Match 'Flags: WEAK'
        }
        # Once there, a second call downloads nothing.
        $before = $feed.Log.Count
        (Install-StyleRuntime -Backend Cpu -Source $feed.Index).Path | Should -Be $runtime.Path
        $feed.Log.Count | Should -Be $before
    }

    It 'joins a CUDA bundle split over part packages, checks the joined file, and resumes a transfer that was cut' {
        $feed = Start-LoopbackFeed (@($torchSharp, $model) + $cudaPackages) -CutOnce "$cudaId-part2-fragment1"
        $runtime = Install-StyleRuntime -Backend Cuda -Source $feed.Index
        $runtime.Packages.Count | Should -Be 7
        (Get-FileHash (Join-Path $runtime.Path 'libtorch_cuda.so') -Algorithm SHA256).Hash | Should -Be $sha
        Test-Path (Join-Path $runtime.Path 'libtorch_cuda.so.sha') | Should -BeFalse
        Test-Path (Join-Path $runtime.Path 'libc10_cuda.so') | Should -BeTrue
        # The cut transfer was continued where it stopped, not started again.
        $fragment = "/flat/$cudaId-part2-fragment1/2.10.0/$cudaId-part2-fragment1.2.10.0.nupkg"
        $requests = @($feed.Log.ToArray() | Where-Object { $_ -like "GET $fragment*" })
        $requests.Count | Should -Be 2
        $requests[1] | Should -Match 'bytes=[1-9]\d*-$'
    }

    It 'deletes a package whose SHA-512 is not the one the feed publishes, and installs nothing' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model) -WrongHash "libtorch-cpu-$rid"
        $e = Get-InstallError { Install-StyleRuntime -Backend Cpu -Source $feed.Index -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RuntimePackageHashMismatch,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be "libtorch-cpu-$rid"
        $dir = Join-Path $env:NEURALSTYLE_RUNTIME_ROOT "0.107.0/cpu-$rid"
        Test-Path $dir | Should -BeFalse
        @(Get-ChildItem "$dir.partial/downloads" -Filter "libtorch-cpu-*").Count | Should -Be 0
    }

    It 'names the part that the feed lacks, and installs nothing' {
        $feed = Start-LoopbackFeed (@($torchSharp, $model) + $cudaPackages[0..3])
        $e = Get-InstallError { Install-StyleRuntime -Backend Cuda -Source $feed.Index -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RuntimePackageNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -Be "$cudaId-part2-fragment2"
        Test-Path (Join-Path $env:NEURALSTYLE_RUNTIME_ROOT "0.107.0/cuda-$rid") | Should -BeFalse
    }

    It 'names the model package when the feed lacks it, and installs nothing (an installed module needs the model)' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu)
        $e = Get-InstallError { Install-StyleRuntime -Backend Cpu -Source $feed.Index -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RuntimePackageNotFound,*'
        $e.TargetObject | Should -Be 'Microsoft.ML.DnnImageFeaturizer.ResNet18'
        Test-Path (Join-Path $env:NEURALSTYLE_RUNTIME_ROOT "0.107.0/cpu-$rid") | Should -BeFalse
    }

    It 'completes a runtime that lacks the model (installed before runtimes carried it) without -Force' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model)
        $runtime = Install-StyleRuntime -Backend Cpu -Source $feed.Index
        Remove-Item (Join-Path $runtime.Path 'models') -Recurse
        $again = Install-StyleRuntime -Backend Cpu -Source $feed.Index
        Test-Path (Join-Path $again.Path 'models/ResNet18.onnx') | Should -BeTrue
    }

    It 'says exactly what to do when the source cannot be reached' {
        $e = Get-InstallError { Install-StyleRuntime -Backend Cpu -Source "http://127.0.0.1:$(Get-ClosedLoopbackPort)/v3/index.json" -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RuntimeSourceUnreachable,*'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        $e.Exception.Message | Should -Match 'run the same command again'
        $e.Exception.Message | Should -Match '-Source'
    }

    It 'stops before any download when the runtime folder cannot be written' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model)
        $env:NEURALSTYLE_RUNTIME_ROOT = New-UnwritableDirectory (Join-Path $work 'locked')
        $e = Get-InstallError { Install-StyleRuntime -Backend Cpu -Source $feed.Index -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RuntimeFolderNotWritable,*'
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $feed.Log.Count | Should -Be 0
    }

    It 'installs offline from a folder in NuGet''s layout (id/version/id.version.nupkg beside its .nupkg.sha512, as in ~/.nuget/packages)' {
        $folder = Join-Path $work "folder-$([guid]::NewGuid().ToString('N'))"
        foreach ($nupkg in $torchSharp, $cpu, $model) {
            $name = [System.IO.Path]::GetFileNameWithoutExtension($nupkg)
            $id, $version = $name -replace '\.(\d+\.\d+\.\d+)$', ' $1' -split ' '
            $dir = (New-Item -ItemType Directory (Join-Path $folder "$id/$version")).FullName
            Copy-Item $nupkg $dir
            $hash = [Convert]::ToBase64String([System.Security.Cryptography.SHA512]::HashData([System.IO.File]::ReadAllBytes($nupkg)))
            Set-Content -LiteralPath (Join-Path $dir "$name.nupkg.sha512") -Value $hash -NoNewline
        }
        Push-Location $work
        try { $runtime = Install-StyleRuntime -Backend Cpu -Source (Split-Path $folder -Leaf) }
        finally { Pop-Location }
        $runtime.Source | Should -Be $folder
        Test-Path (Join-Path $runtime.Path 'libtorch_cpu.so') | Should -BeTrue
    }

    It 'reports its progress: the package being fetched, then completion' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $env:NEURALSTYLE_MODULE).AddStatement().AddCommand('Install-StyleRuntime').AddParameter('Backend', 'Cpu').AddParameter('Source', $feed.Index)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
            $records[0].Activity | Should -Be 'Installing the Cpu runtime'
            # Reports are drained a few times a second, so which download steps show varies; the last one always shows.
            $records[-2].CurrentOperation | Should -Match '^Unpacking Microsoft\.ML\.DnnImageFeaturizer\.ResNet18 0\.23\.1 \(package 3 of 3 known so far\)$'
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It '-WhatIf neither downloads nor writes' {
        $feed = Start-LoopbackFeed @($torchSharp, $cpu, $model)
        Install-StyleRuntime -Backend Cpu -Source $feed.Index -WhatIf | Should -BeNullOrEmpty
        $feed.Log.Count | Should -Be 0
        Test-Path $env:NEURALSTYLE_RUNTIME_ROOT | Should -BeFalse
    }
}
