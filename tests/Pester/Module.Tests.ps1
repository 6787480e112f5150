BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
}

Describe 'The NeuralStyle module' {
    It 'has a valid manifest that exports its cmdlets' {
        $manifest = Test-ModuleManifest (Join-Path $env:NEURALSTYLE_MODULE 'NeuralStyle.psd1')
        $manifest.ExportedCmdlets.Keys | Should -Contain 'Get-StylePyramid'
        $manifest.ExportedCmdlets.Keys | Should -Contain 'Get-StyleDevice'
        (Get-Command -Module NeuralStyle).Name | Should -Contain 'Get-StylePyramid'
    }

    It 'runs a TorchSharp tensor op in a fresh pwsh after Import-Module, with TorchSharp in the module''s own load context' {
        # TorchSharp.dll loads with the first cmdlet that needs it, as it would for a user, and not into the default context.
        $output = Invoke-FreshPwsh ("Import-Module '$env:NEURALSTYLE_MODULE'; (Get-StyleDevice)[0].Note; " +
            '[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq "TorchSharp" } | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }')
        $LASTEXITCODE | Should -Be 0
        $output | Should -Be 'self-test 54', 'NeuralStyle.Engine'
    }

    It 'writes nothing to stderr in a small texture job in a fresh pwsh' {
        # libtorch's native warnings go straight to the process's stderr, past PowerShell's streams. Where NNPACK
        # cannot start (a virtual machine that reports no cache sizes) it printed one for every convolution.
        $errors = Join-Path $TestDrive 'stderr.txt'
        $out = Join-Path $TestDrive 'quiet.png'
        $source = Join-Path $env:NEURALSTYLE_REPO 'examples/wood-planks.jpg'
        $null = Invoke-FreshPwsh ("`$ProgressPreference = 'SilentlyContinue'; Import-Module '$env:NEURALSTYLE_MODULE'; " +
            "`$null = New-NeuralTexture -Source '$source' -Size 64 -Iterations 1 -OutPath '$out'") 2> $errors
        $LASTEXITCODE | Should -Be 0
        $out | Should -Exist
        Get-Content -Raw $errors | Should -BeNullOrEmpty
    }

    It 'reports the CPU device as available with a passing self-test' {
        $cpu = Get-StyleDevice | Where-Object Name -eq 'Cpu'
        $cpu.Available | Should -BeTrue
        # [[1,2],[3,4]]² summed = 7+10+15+22
        $cpu.Note | Should -Be 'self-test 54'
        $cpu.LibTorchVersion | Should -Match '^2\.'
    }

    It 'refuses -Device Cuda with a clear error where no GPU is usable' -Skip:([bool](Get-StyleDevice | Where-Object { $_.Name -eq 'Cuda' -and $_.Available })) {
        $img = Join-Path $env:NEURALSTYLE_REPO 'examples/cat.jpg'
        { Get-StylePyramid -LiteralPath $img -Device Cuda -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*Cuda was requested but CUDA is not available*'
    }
}
