export { ContainerImagesPage } from './ContainerImagesPage';
