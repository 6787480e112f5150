# The route a user takes: the gallery package (./build.ps1 Package, $env:NEURALSTYLE_PACKAGE) published to a
# local PSResource repository, installed with Install-PSResource under a fresh home, imported by name in a
# fresh pwsh, its natives and model installed by Install-StyleRuntime from a loopback NuGet v3 feed serving the real
# TorchSharp, libtorch-cpu and Microsoft.ML.DnnImageFeaturizer.ResNet18 packages from the NuGet cache, then a 64 px texture.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'LoopbackNuGetFeed.ps1')
    $package = $env:NEURALSTYLE_PACKAGE
    $packagesRoot = $env:NUGET_PACKAGES ? $env:NUGET_PACKAGES : (Join-Path $HOME '.nuget/packages')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "ns-package-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory $work
}

AfterAll { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'The gallery package' {
    It 'was built (./build.ps1 Package; build.ps1 Test sets NEURALSTYLE_PACKAGE)' {
        $package | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $package 'NeuralStyle.psd1') | Should -BeTrue
    }

    It 'is portable and small: managed assemblies, help and notices; no native library and no model (Install-StyleRuntime brings both)' {
        $files = Get-ChildItem $package -Recurse -File
        @($files | Where-Object { $_.Name -match '\.(so|dylib)(\.|$)|^(lib)?(torch|torch_cpu|c10|LibTorchSharp)\.(dll|so|dylib)$' -or $_.FullName -match '[\\/]runtimes[\\/]' }) | Should -BeNullOrEmpty
        @($files | Where-Object Extension -eq '.onnx') | Should -BeNullOrEmpty
        foreach ($expected in 'NeuralStyle.psm1', 'LICENSE', 'THIRD-PARTY-NOTICES.txt', 'en-US/about_NeuralStyle.help.txt',
            'en-US/NeuralStyle.PowerShell.dll-Help.xml', 'Dependencies/TorchSharp.dll') {
            Test-Path (Join-Path $package $expected) | Should -BeTrue -Because "$expected belongs in the package"
        }
        $nupkg = Get-Item (Join-Path $env:NEURALSTYLE_REPO 'out/NeuralStyle.0.1.0.nupkg')
        $nupkg.Length | Should -BeLessThan 10MB -Because "a gallery package is a few MB ($([math]::Round($nupkg.Length / 1MB, 1)) MB)"
    }

    It 'installs with Install-PSResource, imports by name in a fresh pwsh, asks for a runtime, then makes a 64 px texture after Install-StyleRuntime' -Skip:(-not $IsLinux) {
        $repository = (New-Item -ItemType Directory (Join-Path $work 'repository')).FullName
        $userHome = (New-Item -ItemType Directory (Join-Path $work 'home')).FullName
        $feed = Start-LoopbackFeed @((Join-Path $packagesRoot 'torchsharp/0.107.0/torchsharp.0.107.0.nupkg'),
            (Join-Path $packagesRoot 'libtorch-cpu-linux-x64/2.10.0/libtorch-cpu-linux-x64.2.10.0.nupkg'),
            (Join-Path $packagesRoot 'microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/microsoft.ml.dnnimagefeaturizer.resnet18.0.23.1.nupkg'))
        $saved = @{}
        foreach ($name in 'HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'NEURALSTYLE_RUNTIME_ROOT', 'PSModulePath') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            # A fresh user: every per-user folder (modules, runtime, model cache) is under the new home.
            $env:HOME = $userHome
            foreach ($name in 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'NEURALSTYLE_RUNTIME_ROOT', 'PSModulePath') { [Environment]::SetEnvironmentVariable($name, $null) }
            $install = Invoke-FreshPwsh ("`$ErrorActionPreference = 'Stop'; Register-PSResourceRepository -Name NeuralStyleTest -Uri '$repository' -Trusted; " +
                "Publish-PSResource -Path '$package' -Repository NeuralStyleTest; Install-PSResource -Name NeuralStyle -Repository NeuralStyleTest -Scope CurrentUser -TrustRepository; " +
                "(Get-Module -ListAvailable NeuralStyle).ModuleBase")
            $LASTEXITCODE | Should -Be 0 -Because ($install -join "`n")
            $installed = @($install)[-1]
            $installed | Should -BeLike "$userHome*"
            Test-Path (Join-Path $repository 'NeuralStyle.0.1.0.nupkg') | Should -BeTrue

            $texture = Join-Path $work 'texture.png'
            $source = Join-Path $env:NEURALSTYLE_REPO 'examples/wood-planks.jpg'
            $run = Invoke-FreshPwsh ("`$ErrorActionPreference = 'Stop'; Import-Module NeuralStyle; (Get-Module NeuralStyle).ModuleBase; " +
                "try { Get-StyleDevice | Out-Null; 'no error' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }; " +
                "`$m = Get-StyleModel resnet18; '{0} {1}' -f `$m.State, `$m.Path; " +
                "(Install-StyleRuntime -Backend Cpu -Source '$($feed.Index)').Path; " +
                "`$t = New-NeuralTexture -Source '$source' -Size 64 -Octaves 2 -Iterations 5 -Seed 1 -OutPath '$texture'; '{0}x{1}' -f `$t.Width, `$t.Height; (Get-StyleRuntime | Where-Object InUse).Backend; " +
                "`$m = Get-StyleModel resnet18; '{0} {1}' -f `$t.Model, `$m.Path")
            # What a user sees on this route, kept for the record (the closing note of #13 quotes it).
            ($install + $run) | Set-Content (Join-Path $env:NEURALSTYLE_REPO 'out/install-transcript.txt')
            $LASTEXITCODE | Should -Be 0 -Because ($run -join "`n")
            $run[0] | Should -Be $installed
            $run[1] | Should -BeLike 'RuntimeNotInstalled*'
            $run[2] | Should -Match 'Install-StyleRuntime -Backend Cpu'
            # The package has no model; the runtime brings it and the module finds it there.
            $run[3] | Should -Be "Missing $(Join-Path $installed 'Dependencies/models/ResNet18.onnx')"
            $run[4] | Should -BeLike "$userHome*cpu-linux-x64"
            $run[5] | Should -Be '64x64'
            $run[6] | Should -Be 'Cpu'
            $run[7] | Should -Be "resnet18 $(Join-Path $run[4] 'models/ResNet18.onnx')"
            (Get-FileHash (Join-Path $run[4] 'models/ResNet18.onnx')).Hash |
                Should -Be (Get-FileHash (Join-Path $packagesRoot 'microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx')).Hash
            [SixLabors.ImageSharp.Image]::Identify($texture).Width | Should -Be 64
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Stop-LoopbackFeed $feed
        }
    }
}

Describe 'Isolation from other modules' {
    It 'imports and synthesises with an older ImageSharp (2.1) already loaded in the session' {
        $imageSharp2 = Join-Path $packagesRoot 'sixlabors.imagesharp/2.1.13/lib/netcoreapp3.1/SixLabors.ImageSharp.dll'
        Test-Path $imageSharp2 | Should -BeTrue -Because 'tools/TestTools.csproj downloads it'
        $out = Join-Path $work 'isolated.png'
        $output = Invoke-FreshPwsh ("`$ErrorActionPreference = 'Stop'; Add-Type -LiteralPath '$imageSharp2'; [SixLabors.ImageSharp.Configuration]::Default | Out-Null; " +
            "Import-Module '$env:NEURALSTYLE_MODULE'; " +
            "`$t = New-NeuralTexture -Source '$(Join-Path $env:NEURALSTYLE_REPO 'examples/wood-planks.jpg')' -Size 32 -Octaves 1 -Iterations 2 -Seed 1 -OutPath '$out'; `$t.Width; " +
            '[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq "SixLabors.ImageSharp" } | ForEach-Object { "{0} {1}" -f $_.GetName().Version.Major, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name } | Sort-Object')
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output[0] | Should -Be '32'
        $output[1..2] | Should -Be @('2 Default', '4 NeuralStyle.Engine')
        Test-Path $out | Should -BeTrue
    }
}
