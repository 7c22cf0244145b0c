export { ContainerImageCard } from './ContainerImageCard';
export { RepositoryImagesCard } from './RepositoryImagesCard';
export { ComponentImagesCard, ComponentImagesContent } from './ComponentImages';
export { isContainerImage, isContainerImagesAvailable } from './conditions';
