@{
    # Sets up the private load context, then imports NeuralStyle.PowerShell.dll (see NeuralStyle.psm1).
    RootModule           = 'NeuralStyle.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '71c360fe-d809-44a9-b4cc-9cf4b4d17dcf'
    Author               = 'NeuralStyle developers'
    CompanyName          = 'NeuralStyle'
    Copyright            = '(c) NeuralStyle developers. MIT licence.'
    Description          = 'Neural style transfer and high-resolution multi-scale neural texture synthesis (Gatys; Snelgrove 2017) on TorchSharp.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NeuralStyle.Format.ps1xml')
    CmdletsToExport      = @('Get-StylePyramid', 'Get-StyleDevice', 'Get-StyleModel', 'Save-StyleModel', 'New-NeuralTexture', 'New-StyleTransfer', 'Install-StyleRuntime', 'Get-StyleRuntime')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # PSEdition_Core and the platforms Install-StyleRuntime has a runtime for (TorchSharp 0.107's libtorch
            # packages: CPU on Windows x64/arm64, Linux x64, macOS arm64; CUDA on Windows and Linux x64).
            Tags         = @('NeuralStyle', 'StyleTransfer', 'NeuralStyleTransfer', 'TextureSynthesis', 'Texture', 'TorchSharp', 'LibTorch',
                'Gatys', 'Snelgrove', 'CUDA', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/neuralstyle/NeuralStyle'
            LicenseUri   = 'https://github.com/neuralstyle/NeuralStyle/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: first gallery release. New-StyleTransfer, New-NeuralTexture (multi-octave Gram losses, block-wise
evaluation for any size, tileable), Get-StylePyramid, Get-StyleModel/Save-StyleModel (bundled ImageNet
ResNet-18, VGG19 download), Get-StyleDevice. Natives are installed separately: Install-StyleRuntime
-Backend Cpu|Cuda (libtorch 2.10 from NuGet, verified), Get-StyleRuntime. Dependencies load in a private
AssemblyLoadContext, so other modules' ImageSharp or Google.Protobuf do not conflict.
'@
        }
    }
}
